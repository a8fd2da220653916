-- expect: 4:3
{-# LANGUAGE TemplateHaskell #-}
import Language.Haskell.TH
main = putStrLn $(runIO (readFile "secret.txt") >>= stringE)
