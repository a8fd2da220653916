: squares 11 1 do i dup * . loop cr ;
squares
