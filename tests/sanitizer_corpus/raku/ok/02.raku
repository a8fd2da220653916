say get.words.max;
