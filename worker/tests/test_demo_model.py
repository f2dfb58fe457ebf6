"""The demo-model converter is checked by hand (18 s, 1.2 GB); here only that it loads and finds its input."""

from whet_worker import demo_model


def test_the_converter_imports_and_locates_the_gguf_or_says_none():
    folder = demo_model.gguf_folder()
    assert folder is None or (folder / demo_model.GGUF_FILE).is_file()
