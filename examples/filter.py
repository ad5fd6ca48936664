# Row by row: keep active users, drop the rest (returning [] drops the record).
row = INPUT_DATA[0]
if row["status"] != "active":
    log.debug(f"dropping user {row['id']} ({row['status']})")
    return []
return [row]
