"""SamplingClient: sampling options and sampler handles."""
