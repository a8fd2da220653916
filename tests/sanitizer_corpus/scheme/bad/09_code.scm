; expect: 2:3
(use-modules (system foreign))
