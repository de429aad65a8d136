using System.Security.Cryptography.X509Certificates;
using MassTransit;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Identity;
using Pmh.Contracts.MaternalChild;
using Pmh.Contracts.Subsidy;
using Pmh.Contracts.Validation;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Messaging;
using Pmh.Hosting.Privacy;
using Pmh.Identity.Simulator;

namespace Pmh.Host;

/// <summary>
/// The embedded default's demo (Development only): a demo card-issuer CA and demo cards as PEM files under
/// <c>{data}/demo</c>, the cards registered to demo people, and for them subsidy certificates (valid in the current
/// fiscal year), vaccination register rows, a pregnancy with its vouchers and a child with its infant checkups, so
/// that a newcomer can try every desk flow at once (README). The child's and the pregnancy's dates are relative to
/// the day the demo cards were made (today, on a fresh data folder; delete the folder to start again from today).
/// </summary>
internal static partial class DemoData
{
    public const string IssuerName = "CN=PMH Demo Card Issuer CA, O=PMH Hub Demo, C=JP";

    public const string DemoCardsSetting = Pmh.Pages.Shell.DemoCards.FolderSetting;

    public sealed record DemoPerson(
        string Card, string MyNumber, string Name, string NameKana, DateOnly BirthDate, string Sex, bool NotDisclosed, bool HasCertificate = true);

    /// <summary>
    /// The demo people, as of <paramref name="madeOn"/> (the day the demo cards were made): yamada, sato and suzuki as
    /// before; tanaka, a baby of three months and ten days (infant checkups, doses of the first months); kobayashi, in
    /// her 100th day since the pregnancy was registered (14 checkup vouchers), with no subsidy certificate.
    /// </summary>
    public static IReadOnlyList<DemoPerson> People(DateOnly madeOn) =>
    [
        new("yamada", "123456789018", "山田 花子", "ヤマダ ハナコ", new DateOnly(2019, 4, 1), "2", NotDisclosed: false),
        new("sato", "234567890121", "佐藤 一郎", "サトウ イチロウ", new DateOnly(2021, 8, 15), "1", NotDisclosed: false),
        new("suzuki", "345678901234", "鈴木 美咲", "スズキ ミサキ", new DateOnly(2017, 1, 20), "2", NotDisclosed: true),
        new("tanaka", "567890123457", "田中 陽太", "タナカ ヨウタ", TanakaBirth(madeOn), "1", NotDisclosed: false),
        new("kobayashi", "678901234562", "小林 さくら", "コバヤシ サクラ", new DateOnly(1994, 6, 10), "2", NotDisclosed: false, HasCertificate: false),
    ];

    /// <summary>The demo baby's birth: three months and ten days before the demo was made (the 3–4-month checkup is due).</summary>
    public static DateOnly TanakaBirth(DateOnly madeOn) => madeOn.AddMonths(-3).AddDays(-10);

    /// <summary>The names of the demo cards (their PEM files).</summary>
    public static IReadOnlyList<string> CardNames => People(new DateOnly(2026, 1, 1)).Select(p => p.Card).ToList();

    public static string Folder(IConfiguration configuration, IHostEnvironment environment) =>
        Path.Combine(Path.GetFullPath(configuration["Pmh:Storage:DataFolder"] ?? "data", environment.ContentRootPath), "demo");

    /// <summary>Makes the demo CA and cards once (kept across restarts) and trusts the CA.</summary>
    public static void Prepare(WebApplicationBuilder builder)
    {
        var folder = Folder(builder.Configuration, builder.Environment);
        var cards = Path.Combine(folder, "cards");
        Directory.CreateDirectory(cards);
        var caPath = Path.Combine(folder, "issuer-ca.pem");
        var caKeyPath = Path.Combine(folder, "issuer-ca.key.pem");
        var now = DateTimeOffset.UtcNow;
        if (!File.Exists(caPath) || !File.Exists(caKeyPath))
        {
            using var created = CardReaderSimulator.CreateIssuerCa(IssuerName, now.AddDays(-1));
            using var caKey = created.GetRSAPrivateKey()!;
            File.WriteAllText(caKeyPath, caKey.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(caPath, created.ExportCertificatePem());
            foreach (var file in Directory.GetFiles(cards))
            {
                File.Delete(file); // cards of an older CA would no longer chain
            }
        }

        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath), File.ReadAllText(caKeyPath));
        foreach (var card in CardNames)
        {
            var certificatePath = Path.Combine(cards, card + ".crt.pem");
            if (!File.Exists(certificatePath))
            {
                using var issued = CardReaderSimulator.IssueCard(ca, $"PMH demo card {card}", now.AddHours(-1), now.AddYears(5));
                File.WriteAllText(Path.Combine(cards, card + ".key.pem"), issued.PrivateKeyPem());
                File.WriteAllText(certificatePath, issued.CertificatePem());
            }
        }

        // The pages' simulated card reader reads the demo cards from here (served in Development only).
        builder.Configuration.AddInMemoryCollection([new("Pmh:Identity:TrustedIssuers:1000", caPath), new(DemoCardsSetting, cards)]);
    }

    /// <summary>Registers the demo cards and sends the demo data to each kind's service over the bus, once the hub runs.</summary>
    public sealed partial class Seeder(
        IServiceProvider services,
        IConfiguration configuration,
        IHostEnvironment environment,
        PersonKeys personKeys,
        TimeProvider time,
        ILogger<Seeder> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var scope = services.CreateScope();
            var register = scope.ServiceProvider.GetRequiredService<IRequestClient<RegisterCard>>();
            var cards = Path.Combine(Folder(configuration, environment), "cards");
            // The day the demo was made: the demo cards' issue date, in Japan (kept with the cards across restarts).
            using (var first = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(cards, "tanaka.crt.pem"), stoppingToken)))
            {
                MadeOn = PlausibleDates.Today(new DateTimeOffset(first.NotBefore.ToUniversalTime(), TimeSpan.Zero).AddHours(1));
            }

            var people = People(MadeOn);
            foreach (var person in people)
            {
                var pem = await File.ReadAllTextAsync(Path.Combine(cards, person.Card + ".crt.pem"), stoppingToken);
                using var certificate = X509Certificate2.CreateFromPem(pem);
                await register.GetResponse<CardRegistered, CardRegistrationRefused>(
                    new RegisterCard { Certificate = certificate.RawData, PersonKey = PersonKey(person), BirthDate = person.BirthDate },
                    stoppingToken);
            }

            // Certificates valid in the current fiscal year (April to March), so the demo works whenever it runs.
            var today = PlausibleDates.Today(time);
            var fiscalYear = today.Month >= 4 ? today.Year : today.Year - 1;
            var rows = people.Where(p => p.HasCertificate).Select((person, index) => new PublishedCertificateRow(index, new SubsidyCertificate
            {
                MunicipalityCode = "131016",
                HistoryKey = $"DEMO-{person.Card}",
                PersonKey = PersonKey(person),
                OrgSpecificCertificateTypeId = "KODOMO01",
                BasicFiveInfo = new BasicFiveInfo(person.Name, person.NameKana, "東京都千代田区九段南1-2-1", person.BirthDate, person.Sex),
                IsNotDisclosed = person.NotDisclosed,
                MedicalSubsidyInsurerNumber = "88134457",
                CertificationName = "千代田区子ども医療費助成受給者証",
                MedicalSubsidyRecipientNumber = $"DEMO{index + 1:D4}",
                IsAlwaysReimbursement = false,
                MaxCopaymentAmount = new MaxCopaymentAmount(index == 0 ? 0 : 2500),
                ValidFrom = new DateOnly(fiscalYear, 4, 1),
                ValidTo = new DateOnly(fiscalYear + 1, 3, 31),
                IsDeleted = false,
                CertificationDetail = [new CertificationDetailItem("自己負担", index == 0 ? "なし" : "月2,500円まで")],
            })).ToList();
            var send = await scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>()
                .GetSendEndpoint(CommandQueue.Address(SubsidyQueues.PublishCertificates));
            await send.Send(
                new PublishSubsidyCertificates
                {
                    MunicipalityCode = "131016", BatchId = $"demo-seed-fy{fiscalYear}", PartIndex = 0, PartCount = 1, RowCount = rows.Count, Rows = rows,
                },
                stoppingToken);
            await SeedMaternalChildAsync(scope.ServiceProvider, people, stoppingToken);
            await SeedVaccinationsAsync(scope.ServiceProvider, people, stoppingToken);
            LogSeeded(logger, people.Count, cards);
        }

        /// <summary>The day the demo was made (the demo cards' issue date in Japan).</summary>
        private DateOnly MadeOn { get; set; }

        /// <summary>kobayashi's pregnancy (registered 100 days ago, due in 150 days: 14 vouchers) and tanaka's children row.</summary>
        private async Task SeedMaternalChildAsync(IServiceProvider provider, IReadOnlyList<DemoPerson> people, CancellationToken stoppingToken)
        {
            var sends = provider.GetRequiredService<ISendEndpointProvider>();
            var mother = people.Single(p => p.Card == "kobayashi");
            var baby = people.Single(p => p.Card == "tanaka");
            var pregnancy = new PregnancyRecord
            {
                RecordId = "131016:pregnancy:DEMO-P1",
                MunicipalityCode = "131016",
                PersonKey = PersonKey(mother),
                DueDate = MadeOn.AddDays(150),
                RegisteredOn = MadeOn.AddDays(-100),
                LocalPersonId = "DEMO-A0005",
            };
            await (await sends.GetSendEndpoint(CommandQueue.Address(MaternalChildQueues.RegisterPregnancies))).Send(
                new RegisterPregnancies { MunicipalityCode = "131016", BatchId = "demo-seed-pregnancies", PartIndex = 0, PartCount = 1, RowCount = 1, Rows = [new(0, pregnancy)] },
                stoppingToken);
            var child = new ChildRecord
            {
                RecordId = "131016:child:DEMO-C1",
                MunicipalityCode = "131016",
                PersonKey = PersonKey(baby),
                BirthDate = baby.BirthDate,
                LocalPersonId = "DEMO-A0004",
            };
            await (await sends.GetSendEndpoint(CommandQueue.Address(MaternalChildQueues.RegisterChildren))).Send(
                new RegisterChildren { MunicipalityCode = "131016", BatchId = "demo-seed-children", PartIndex = 0, PartCount = 1, RowCount = 1, Rows = [new(0, child)] },
                stoppingToken);
        }

        /// <summary>Register rows: tanaka's doses at two and three months, some of yamada's childhood doses.</summary>
        private async Task SeedVaccinationsAsync(IServiceProvider provider, IReadOnlyList<DemoPerson> people, CancellationToken stoppingToken)
        {
            var baby = people.Single(p => p.Card == "tanaka");
            var yamada = people.Single(p => p.Card == "yamada");
            var doses = new List<(DemoPerson Person, string Vaccine, int Dose, DateOnly Date)>();
            foreach (var vaccine in new[] { "DPT-IPV-HIB", "PCV15", "HEPB", "ROTA-1" })
            {
                doses.Add((baby, vaccine, 1, baby.BirthDate.AddMonths(2)));
                doses.Add((baby, vaccine, 2, baby.BirthDate.AddMonths(3)));
            }

            doses.AddRange([(yamada, "MR", 1, new DateOnly(2020, 4, 10)), (yamada, "VAR", 1, new DateOnly(2020, 4, 10)),
                (yamada, "VAR", 2, new DateOnly(2020, 10, 15)), (yamada, "JE", 1, new DateOnly(2022, 5, 10)), (yamada, "JE", 2, new DateOnly(2022, 6, 7))]);
            var rows = doses.Select((d, index) => new RegisteredVaccinationRow(index, new VaccinationRecord
            {
                RecordId = $"131016:DEMO-{d.Person.Card}-{d.Vaccine}-{d.Dose}",
                MunicipalityCode = "131016",
                PersonKey = PersonKey(d.Person),
                Vaccine = d.Vaccine,
                DoseNumber = d.Dose,
                Date = d.Date,
                LotNumber = $"DEMO{index + 1:D3}",
                InstitutionCode = "1310123458",
                Programme = VaccinationProgrammes.RoutineA,
            })).ToList();
            await (await provider.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(CommandQueue.Address(VaccinationQueues.RegisterRecords))).Send(
                new RegisterVaccinationRecords { MunicipalityCode = "131016", BatchId = "demo-seed-vaccinations", PartIndex = 0, PartCount = 1, RowCount = rows.Count, Rows = rows },
                stoppingToken);
        }

        private string PersonKey(DemoPerson person) => personKeys.For(MyNumber.Parse(person.MyNumber));

        [LoggerMessage(Level = LogLevel.Information, Message = "Demo: {Count} cards registered; their certificates, doses, pregnancy and child sent to the services; card files in {Folder}")]
        private static partial void LogSeeded(ILogger logger, int count, string folder);
    }
}
