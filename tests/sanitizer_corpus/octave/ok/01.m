disp('Hello, World!')
