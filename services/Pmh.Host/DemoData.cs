using System.Security.Cryptography.X509Certificates;
using MassTransit;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Identity;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Messaging;
using Pmh.Hosting.Privacy;
using Pmh.Identity.Simulator;

namespace Pmh.Host;

/// <summary>
/// The embedded default's demo (Development only): a demo card-issuer CA and demo cards as PEM files under
/// <c>{data}/demo</c>, the cards registered to demo people, and demo subsidy certificates for them, so that a
/// newcomer can run a whole reception check at once (README).
/// </summary>
internal static partial class DemoData
{
    public const string IssuerName = "CN=PMH Demo Card Issuer CA, O=PMH Hub Demo, C=JP";

    public const string DemoCardsSetting = Pmh.Pages.Shell.DemoCards.FolderSetting;

    public sealed record DemoPerson(string Card, string MyNumber, string Name, string NameKana, DateOnly BirthDate, string Sex, bool NotDisclosed);

    public static readonly IReadOnlyList<DemoPerson> People =
    [
        new("yamada", "123456789018", "山田 花子", "ヤマダ ハナコ", new DateOnly(2019, 4, 1), "2", NotDisclosed: false),
        new("sato", "234567890121", "佐藤 一郎", "サトウ イチロウ", new DateOnly(2021, 8, 15), "1", NotDisclosed: false),
        new("suzuki", "345678901234", "鈴木 美咲", "スズキ ミサキ", new DateOnly(2017, 1, 20), "2", NotDisclosed: true),
    ];

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
        foreach (var person in People)
        {
            var certificatePath = Path.Combine(cards, person.Card + ".crt.pem");
            if (!File.Exists(certificatePath))
            {
                using var card = CardReaderSimulator.IssueCard(ca, $"PMH demo card {person.Card}", now.AddHours(-1), now.AddYears(5));
                File.WriteAllText(Path.Combine(cards, person.Card + ".key.pem"), card.PrivateKeyPem());
                File.WriteAllText(certificatePath, card.CertificatePem());
            }
        }

        // The pages' simulated card reader reads the demo cards from here (served in Development only).
        builder.Configuration.AddInMemoryCollection([new("Pmh:Identity:TrustedIssuers:1000", caPath), new(DemoCardsSetting, cards)]);
    }

    /// <summary>Registers the demo cards and publishes the demo certificates over the bus, once the hub runs.</summary>
    public sealed partial class Seeder(
        IServiceProvider services,
        IConfiguration configuration,
        IHostEnvironment environment,
        PersonKeys personKeys,
        ILogger<Seeder> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var scope = services.CreateScope();
            var register = scope.ServiceProvider.GetRequiredService<IRequestClient<RegisterCard>>();
            var cards = Path.Combine(Folder(configuration, environment), "cards");
            foreach (var person in People)
            {
                var pem = await File.ReadAllTextAsync(Path.Combine(cards, person.Card + ".crt.pem"), stoppingToken);
                using var certificate = X509Certificate2.CreateFromPem(pem);
                await register.GetResponse<CardRegistered, CardRegistrationRefused>(
                    new RegisterCard { Certificate = certificate.RawData, PersonKey = PersonKey(person), BirthDate = person.BirthDate },
                    stoppingToken);
            }

            var rows = People.Select((person, index) => new PublishedCertificateRow(index, new SubsidyCertificate
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
                ValidFrom = new DateOnly(2026, 4, 1),
                ValidTo = new DateOnly(2027, 3, 31),
                IsDeleted = false,
                CertificationDetail = [new CertificationDetailItem("自己負担", index == 0 ? "なし" : "月2,500円まで")],
            })).ToList();
            var send = await scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>()
                .GetSendEndpoint(CommandQueue.Address(SubsidyQueues.PublishCertificates));
            await send.Send(
                new PublishSubsidyCertificates { MunicipalityCode = "131016", BatchId = "demo-seed", PartIndex = 0, PartCount = 1, RowCount = rows.Count, Rows = rows },
                stoppingToken);
            LogSeeded(logger, People.Count, cards);
        }

        private string PersonKey(DemoPerson person) => personKeys.For(MyNumber.Parse(person.MyNumber));

        [LoggerMessage(Level = LogLevel.Information, Message = "Demo: {Count} cards registered and their subsidy certificates published; card files in {Folder}")]
        private static partial void LogSeeded(ILogger logger, int count, string folder);
    }
}
