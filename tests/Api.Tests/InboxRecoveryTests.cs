using System.Net;
using System.Text;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>A silo dies after the webhook stored a message and before the agent answered it.</summary>
public sealed class InboxRecoveryTests : IAsyncLifetime
{
    private const string PhoneNumberId = "555000111222";
    private const string AppSecret = "secreto-recuperacion";

    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeMessaging _platforms = null!;

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _platforms.RegisterWhatsApp(PhoneNumberId, "EAAG-token");
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>(ProductStack.FastFailover)
        {
            ["WhatsApp__GraphApiUrl"] = _platforms.BaseUrl.ToString(),
            // A long debounce keeps the message waiting in the inbox when the silo is killed.
            ["Channels__DebounceMilliseconds"] = "4000",
            ["Channels__SweepSeconds"] = "2",
            ["Channels__StrandedSeconds"] = "1",
            ["Reminders__MinimumReminderPeriod"] = "00:00:01",
        });
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    [Fact]
    public async Task A_message_stored_before_a_silo_crash_is_answered_once_after_recovery()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = "EAAG-token", app_secret = AppSecret, verify_token = "verificacion-1",
        })).Status);
        const string customer = "573001112233";
        var body = MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, AppSecret));

        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.SendAsync(request)).StatusCode);
        _stack.Silos[0].Kill();
        // The scenario holds only if the message really was stranded: stored, not yet answered.
        var records = new ChannelRecords(_database);
        var key = ChannelRecords.Key(tenant.EmpresaId, "whatsapp", customer);
        Assert.False(Assert.Single(await records.InboundAsync(key)).Processed);
        Assert.Empty(_platforms.To(customer));

        _stack.StartSilo();
        await _stack.WaitUntilReadyAsync(activeSilos: 1, TimeSpan.FromSeconds(60));
        // Processed means answered: the sweeper and the conversation have nothing left to send for it.
        await records.WaitUntilAnsweredAsync(key, messages: 1, TimeSpan.FromSeconds(60));
        var replies = _platforms.To(customer);

        Assert.Single(replies);
        Assert.Single(await records.OutboundAsync(key));
        Assert.Contains("Martillo", replies[0].Body["text"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
