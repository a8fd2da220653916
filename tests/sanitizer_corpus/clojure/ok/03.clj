(doseq [line (line-seq (java.io.BufferedReader. *in*))]
  (println (clojure.string/upper-case line)))
