# The device's bytes as they are: latin1 mode neither decodes nor encodes.
:ok = :io.setopts(:standard_io, encoding: :latin1)
IO.binstream(:stdio, 65536) |> Enum.each(&IO.binwrite/1)
