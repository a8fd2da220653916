.uc.say for lines;
