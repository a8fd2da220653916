# expect: 2:2
import socket
