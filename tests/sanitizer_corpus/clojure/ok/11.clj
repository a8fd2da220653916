(defrecord Point [x y])
(let [p (->Point 3 4)] (println (+ (:x p) (:y p))))
