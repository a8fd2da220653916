byte[] buf = new byte[65536]
int n = System.in.read(buf)
while (n > 0) {
    System.out.write(buf, 0, n)
    n = System.in.read(buf)
}
System.out.flush()
