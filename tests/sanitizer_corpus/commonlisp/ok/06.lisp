(format t "~{~a~^ ~}~%" (sort (list 5 3 9 1) #'<))
