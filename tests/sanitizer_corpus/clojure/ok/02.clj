(println (apply max (map #(Long/parseLong %) (clojure.string/split (read-line) #" "))))
