"""RestClient and AdminClient: runs, checkpoints (resume, archive download), session traces."""
