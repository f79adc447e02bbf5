"""Scale-out: sampling from many worker processes (Ray) with one shared sampling dispatch."""
