import std.stdio;

void main()
{
    foreach (ubyte[] chunk; stdin.byChunk(65536))
        stdout.rawWrite(chunk);
}
