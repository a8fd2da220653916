# expect: 2:2
import std/httpclient
