; expect: 2:3
(require '[clojure.java.shell :as shell])
