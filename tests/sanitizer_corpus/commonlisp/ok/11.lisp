(let ((xs (loop for x = (read *standard-input* nil nil) while x collect x)))
  (format t "~d~%" (reduce #'max xs)))
