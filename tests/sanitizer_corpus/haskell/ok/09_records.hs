import Data.List (sortOn)

data Person = Person { name :: String, age :: Int } deriving (Show)

parse :: String -> Person
parse l = let [n, a] = words l in Person n (read a)

main :: IO ()
main = interact $ unlines . map (\p -> name p ++ " " ++ show (age p)) . sortOn (\p -> (age p, name p)) . map parse . lines
