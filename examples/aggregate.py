# Bulk: the statement runs once with every record of the FlowFile and groups them by country.
totals = {}
counts = {}
for sale in INPUT_DATA:
    country = sale["country"]
    totals[country] = totals.get(country, 0) + sale["amount"]
    counts[country] = counts.get(country, 0) + 1
log.info(f"{len(INPUT_DATA)} sales in {len(totals)} countries")
return [{"country": c, "sales": counts[c], "amount": round(totals[c], 2)} for c in sorted(totals)]
