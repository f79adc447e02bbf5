"""Hand-written behaviour of the generated public types: bases, field kinds, mixins."""
