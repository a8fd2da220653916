:- initialization(main, main).

parent(tom, bob).
parent(bob, ann).
grandparent(X, Z) :- parent(X, Y), parent(Y, Z).

main :- forall(grandparent(X, Z), format("~w ~w~n", [X, Z])).
