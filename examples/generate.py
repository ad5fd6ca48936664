users = [
    { "name": "Alice" },
    { "name": "Bob" },
    { "name": "Charlie" },
]
return users
