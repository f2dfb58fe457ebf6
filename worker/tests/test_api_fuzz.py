"""Property-based fuzzing of the native API over its served OpenAPI document (see api_fuzz/fuzz_api.py).

Every operation gets schemathesis cases (valid, invalid, edge cases; a fixed seed, so a failure
reproduces): no 5xx but the documented 502 of an unreachable hub, answers as documented, no
valid body refused by the handler's own schema, and the server alive and healthy afterwards.
About half a minute on two cores; `npm run bench -- api-fuzz` runs it longer with a random seed.
"""

import os

from api_fuzz.fuzz_api import fuzz

EXAMPLES = int(os.environ.get("WHET_FUZZ_EXAMPLES", "15"))


def test_fuzzing_every_operation_finds_no_server_error_and_no_drift():
    result = fuzz(EXAMPLES, seed_value=1414)
    summary = result.summary()
    assert result.report.get("operations", {}).get("tested") == result.report.get("operations", {}).get("total") > 40, summary
    assert result.server_alive, result.output[-6000:]
    assert result.unhandled == [], "\n".join(result.unhandled[:5])
    assert result.internal_errors == 0, result.output[-6000:]
    assert result.exit_code == 0, result.output[-12000:]
