"""Device drivers: pure protocol codecs, thin async transports, and simulators."""
