// Every test here shares one broker and its queue names: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
