// What every module shares with the gateway (Pmh.Modules): participants, problem details, batches, reception.
global using Pmh.Modules;
global using Pmh.Modules.Audit;
global using Pmh.Modules.Batches;
global using Pmh.Modules.Http;
global using Pmh.Modules.Participants;
global using Pmh.Modules.Reception;
