(defstruct point x y)
(let ((p (make-point :x 3 :y 4)))
  (format t "~d~%" (* (point-x p) (point-y p))))
