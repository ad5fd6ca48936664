# Row by row with --include-input-fields: runs once per order and returns only the new fields;
# the processor lays them over a copy of the input record.
row = INPUT_DATA[0]
total = round(row["price"] * row["quantity"], 2)
return [{"total": total, "currency": PROPERTIES.get("currency", "USD")}]
