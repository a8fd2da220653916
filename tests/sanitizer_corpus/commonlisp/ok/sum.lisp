(loop for x = (read *standard-input* nil nil)
      while x
      sum x into total
      finally (format t "~d~%" total))
