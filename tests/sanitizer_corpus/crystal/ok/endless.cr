n = 0_u64
loop { n &+= 1 }
