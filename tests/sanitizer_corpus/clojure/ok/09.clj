(println (frequencies (clojure.string/split (slurp *in*) #"\s+")))
