(let ((h (make-hash-table :test #'equal)))
  (incf (gethash "a" h 0))
  (format t "~d~%" (gethash "a" h)))
