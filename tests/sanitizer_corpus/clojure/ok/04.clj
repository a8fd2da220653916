(defn fact [n] (reduce *' (range 1 (inc n))))
(println (fact 30))
