(loop for line = (read-line *standard-input* nil)
      while line
      do (format t "~a~%" (string-upcase line)))
