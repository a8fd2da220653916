# expect: 5:2 6:3
import base64

code = input()
exec(code + "\nprint('done')")
exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk=").decode())
