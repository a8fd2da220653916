(let [s (read-line)] (println (if (= s (apply str (reverse s))) "YES" "NO")))
