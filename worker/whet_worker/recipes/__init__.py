"""One recipe per training method; `spec.method` picks the module."""
