"""`tinker_ext.doctor()` and `tinker-ext doctor`: one preflight of a server, a key and a base model."""
