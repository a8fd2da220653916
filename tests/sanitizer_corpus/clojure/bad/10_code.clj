; expect: 2:2
(clojure.java.io/delete-file "x")
