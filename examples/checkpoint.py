# Source mode with a data checkpoint: returns the next three ids after DATA_CHECKPOINT. The processor stores the
# "id" of the last returned record; run it with --state FILE and each run continues where the last one stopped.
start = DATA_CHECKPOINT
log.info(f"continuing after id {start}")
return [{"id": start + i, "name": f"item-{start + i}"} for i in range(1, 4)]
