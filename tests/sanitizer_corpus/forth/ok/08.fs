create xs 5 , 3 , 9 , 1 ,
: largest ( -- n ) 0 4 0 do xs i cells + @ max loop ;
largest . cr
