from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Fingerprinted, compressed static files; also rewrites ES module imports to hashed names."""

    support_js_module_import_aggregation = True
