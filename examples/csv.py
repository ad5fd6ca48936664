# CSV in, CSV out (see csv.args): the reader infers the column types from the header and the values.
row = INPUT_DATA[0]
return [{"name": row["name"].upper(), "age_next_year": row["age"] + 1, "city": row["city"]}]
