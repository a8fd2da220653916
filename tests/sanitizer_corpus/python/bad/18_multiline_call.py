# expect: 3:3
import os
(os
 .system)("id")
