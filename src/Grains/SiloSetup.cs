using AgenteVendedor.Accounts;
using AgenteVendedor.Audit;
using AgenteVendedor.Catalog;
using AgenteVendedor.Channels;
using AgenteVendedor.Conversations;
using AgenteVendedor.Database;
using AgenteVendedor.Notifications;
using AgenteVendedor.Retrieval;
using Microsoft.Extensions.AI;
using AgenteVendedor.Sales;
using AgenteVendedor.Security;
using AgenteVendedor.Tenancy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace AgenteVendedor;

/// <summary>Everything a silo of this product needs besides clustering and endpoints; shared by the Silo host and the test cluster.</summary>
public static class SiloSetup
{
    public static ISiloBuilder AddAgenteVendedor(this ISiloBuilder silo, string connectionString, IConfiguration config, bool production = false)
    {
        var services = silo.Services;
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddSingleton(new PasswordHasher(config.GetValue("Security:PasswordIterations", PasswordHasher.RecommendedIterations)));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AccountStore>();
        services.AddSingleton<EmpresaStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<CatalogStore>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<OrderLifecycle>();
        AddRetrieval(services, config);
        AddAgents(services, config);
        AddChannels(silo, config, production);
        AddMedia(services, config);

        silo.AddIncomingGrainCallFilter<DatabaseFaults>();
        silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        // Grain state is written with Orleans' own version-tolerant binary format: members carry [Id]s
        // and types carry [Alias]es, so renaming a class or a property never orphans stored rows.
        services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Default)
            .PostConfigure<IServiceProvider>((o, sp) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        services.Configure<ClusterMembershipOptions>(config.GetSection("Orleans:Membership"));
        // Not under "Orleans:": Orleans reads that section for its own provider registrations.
        services.Configure<ReminderOptions>(config.GetSection("Reminders"));
        return silo;
    }

    /// <summary>
    /// Channels: encrypted secrets, the WhatsApp Graph API and Telegram Bot API senders (base URLs
    /// configurable so tests point them at local fakes), the inbox debounce and its sweeper.
    /// </summary>
    private static void AddChannels(ISiloBuilder silo, IConfiguration config, bool production)
    {
        var services = silo.Services;
        services.AddSingleton(SecretBox.FromConfiguration(config, production));
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<ChannelDirectory>();
        services.AddSingleton<ChannelSecretsMaintenance>();
        // PUT /canales/whatsapp asks Meta whether the token manages the number (GET /{version}/{phone_number_id}).
        services.AddHttpClient<WhatsAppNumberCheck>(http =>
        {
            http.BaseAddress = GraphApiWithVersion(config);
            http.Timeout = TimeSpan.FromSeconds(10);
        });
        services.AddSingleton<ConversationStore>();
        services.AddSingleton(new Channels.Pacing.PacingOptions(
            Math.Max(0.1, config.GetValue("Channels:WhatsAppMessagesPerSecond", 80.0)),
            Math.Max(1, config.GetValue("Channels:WhatsAppRecipientBurst", 20)),
            TimeSpan.FromSeconds(Math.Max(0.01, config.GetValue("Channels:WhatsAppRecipientSeconds", 6.0)))));
        services.AddSingleton<WhatsAppPacer>();
        AddNotifications(silo, config);
        AddCommerce(services, config);
        var attempts = Math.Max(1, config.GetValue("Channels:SendAttempts", 3));
        var backoff = TimeSpan.FromMilliseconds(config.GetValue("Channels:BackoffMilliseconds", 500));
        var attemptTimeout = TimeSpan.FromSeconds(config.GetValue("Channels:AttemptTimeoutSeconds", 10.0));
        services.AddSingleton(new SenderOptions(
            WithSlash(config["WhatsApp:GraphApiUrl"] ?? "https://graph.facebook.com/"),
            config["WhatsApp:ApiVersion"] ?? "v21.0",
            WithSlash(config["Telegram:ApiUrl"] ?? "https://api.telegram.org/"),
            attempts, backoff, attemptTimeout));
        services.AddSingleton(new InboxOptions(
            TimeSpan.FromMilliseconds(config.GetValue("Channels:DebounceMilliseconds", 1500)),
            TimeSpan.FromSeconds(config.GetValue("Channels:SweepSeconds", 60)),
            TimeSpan.FromSeconds(config.GetValue("Channels:StrandedSeconds", 30)),
            Math.Max(1, config.GetValue("Channels:InboxAttempts", 3)),
            Math.Max(1, config.GetValue("Channels:CustomerMessagesPerMinute", 20)),
            Math.Max(1, config.GetValue("Channels:MaxUnitsPerChatOrder", 50))));
        // Platform sends: the standard resilience pipeline (attempt timeout, retries of 5xx/408/429 and
        // timeouts with exponential back-off, circuit breaker, total timeout) configured from Channels:*.
        services.AddHttpClient<ChannelSenders>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = attemptTimeout;
                o.Retry.MaxRetryAttempts = Math.Max(1, attempts - 1);
                if (attempts == 1)
                {
                    o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                }

                o.Retry.Delay = backoff;
                o.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                o.TotalRequestTimeout.Timeout = attemptTimeout * attempts + backoff * Math.Pow(2, attempts) + TimeSpan.FromSeconds(5);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * attemptTimeout.TotalSeconds + 1));
            });
        silo.AddStartupTask((sp, _) => sp.GetRequiredService<IGrainFactory>().GetGrain<IInboxSweeperGrain>(0).StartAsync());
        silo.AddStartupTask((sp, _) => sp.GetRequiredService<ChannelSecretsMaintenance>().RunAsync());

    }

    private static Uri WithSlash(string url) => new(url.EndsWith('/') ? url : url + "/");

    /// <summary>The Graph API's base address with its version, e.g. https://graph.facebook.com/v21.0/.</summary>
    private static Uri GraphApiWithVersion(IConfiguration config) =>
        new(WithSlash(config["WhatsApp:GraphApiUrl"] ?? "https://graph.facebook.com/"), $"{config["WhatsApp:ApiVersion"] ?? "v21.0"}/");

    /// <summary>
    /// The WhatsApp catalog: the Graph API's catalog batch endpoint (WhatsApp:CatalogBatchSize items per batch), which
    /// skus are in the Meta catalog, catalog carts received as order messages and abandoned-cart reminders.
    /// </summary>
    private static void AddCommerce(IServiceCollection services, IConfiguration config)
    {
        services.AddHttpClient<Commerce.MetaCatalogClient>(http =>
        {
            http.BaseAddress = GraphApiWithVersion(config);
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        services.AddSingleton(new Commerce.CatalogPushOptions(Math.Clamp(config.GetValue("WhatsApp:CatalogBatchSize", 1000), 1, 5000)));
        services.AddSingleton<Commerce.CatalogItemsStore>();
        services.AddSingleton<Commerce.CatalogPublisher>();
        services.AddSingleton<Commerce.CatalogOffers>();
        // One reminder per waiting cart: its period only matters when a tick fails, and may not be under Orleans' minimum.
        var after = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Channels:AbandonedCartAfter", TimeSpan.FromHours(2)).TotalSeconds));
        var minimum = config.GetValue("Reminders:MinimumReminderPeriod", TimeSpan.FromMinutes(1));
        services.AddSingleton(new Commerce.AbandonedCartOptions(after, after > minimum ? after : minimum));
        services.AddSingleton<Commerce.AbandonedCarts>();
    }

    /// <summary>
    /// Customer notifications: the event → template mapping and the messenger that picks free text inside
    /// WhatsApp's 24-hour window and a template outside it.
    /// </summary>
    private static void AddNotifications(ISiloBuilder silo, IConfiguration config)
    {
        var services = silo.Services;
        services.AddSingleton<NotificationTemplateStore>();
        services.AddSingleton<CustomerMessenger>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton(new NotificationOptions(
            Math.Max(1, config.GetValue("Notifications:Attempts", 5)),
            TimeSpan.FromMilliseconds(Math.Max(1, config.GetValue("Notifications:BackoffMilliseconds", 2000))),
            TimeSpan.FromSeconds(Math.Max(5, config.GetValue("Notifications:LeaseSeconds", 120))),
            Math.Max(1, config.GetValue("Notifications:Concurrency", 16)),
            TimeSpan.FromSeconds(config.GetValue("Notifications:SweepSeconds", 60)),
            TimeSpan.FromSeconds(config.GetValue("Notifications:StrandedSeconds", 30))));
        // GET /canales/whatsapp/plantillas reads the account's templates (GET /{version}/{waba_id}/message_templates).
        services.AddHttpClient<WhatsAppTemplateCatalog>(http =>
        {
            http.BaseAddress = GraphApiWithVersion(config);
            http.Timeout = TimeSpan.FromSeconds(10);
        });
        silo.AddStartupTask((sp, _) => sp.GetRequiredService<IGrainFactory>().GetGrain<INotificationSweeperGrain>(0).StartAsync());
    }

    /// <summary>
    /// Inbound media: downloads from the platforms (Media:DownloadAttempts, Media:DownloadTimeoutSeconds) kept in the
    /// media table; with an OpenAI key, voice notes transcribed (Media:TranscriptionModel, default whisper-1, at
    /// Media:TranscriptionBaseUrl, default OpenAI:BaseUrl) and photos described by the agent's chat model.
    /// </summary>
    private static void AddMedia(IServiceCollection services, IConfiguration config)
    {
        var attempts = Math.Max(1, config.GetValue("Media:DownloadAttempts", 3));
        services.AddSingleton(new Media.MediaOptions(TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Media:DownloadTimeoutSeconds", 120.0)))));
        services.AddSingleton<Media.MediaStore>();
        services.AddHttpClient<Media.MediaDownloader>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = Math.Max(1, attempts - 1);
                if (attempts == 1)
                {
                    o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                }

                o.Retry.Delay = TimeSpan.FromMilliseconds(config.GetValue("Media:BackoffMilliseconds", 500));
                o.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(3);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            });
        var key = config["OpenAI:ApiKey"];
#pragma warning disable MEAI001 // the speech-to-text abstraction is marked experimental in Microsoft.Extensions.AI 10.x
        services.AddSingleton(sp =>
        {
            ISpeechToTextClient? speech = null;
            if (!string.IsNullOrWhiteSpace(key))
            {
                var options = new OpenAI.OpenAIClientOptions();
                if ((config["Media:TranscriptionBaseUrl"] ?? config["OpenAI:BaseUrl"]) is { Length: > 0 } baseUrl)
                {
                    options.Endpoint = new Uri(baseUrl);
                }

                speech = new OpenAI.Audio.AudioClient(config["Media:TranscriptionModel"] ?? "whisper-1", new System.ClientModel.ApiKeyCredential(key), options)
                    .AsISpeechToTextClient();
            }

            return new Media.MediaUnderstanding(speech, sp.GetService<IChatClient>(), sp.GetRequiredService<ILogger<Media.MediaUnderstanding>>());
        });
#pragma warning restore MEAI001
        services.AddSingleton<Conversations.Inbound.InboundIntake>();
    }

    /// <summary>
    /// Agent drivers: "offline" always; "openai" when an OpenAI key is configured (OpenAI:ApiKey,
    /// OpenAI:BaseUrl for compatible servers, Agent:Model). The default is Agent:DefaultDriver,
    /// else "openai" when it exists, else "offline".
    /// </summary>
    private static void AddAgents(IServiceCollection services, IConfiguration config)
    {
        var key = config["OpenAI:ApiKey"];
        services.AddSingleton(new AgentOptions(TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Agent:TurnTimeoutSeconds", 20.0)))));
        if (!string.IsNullOrWhiteSpace(key))
        {
            // One client for the life of the silo: the model behind OpenAI's client, with function calling
            // bounded to a few tool rounds per turn and tool errors kept from the model.
            services.AddChatClient(_ =>
                {
                    var options = new OpenAI.OpenAIClientOptions();
                    if (config["OpenAI:BaseUrl"] is { Length: > 0 } baseUrl)
                    {
                        options.Endpoint = new Uri(baseUrl);
                    }

                    return new OpenAI.Chat.ChatClient(config["Agent:Model"] ?? "gpt-4o-mini", new System.ClientModel.ApiKeyCredential(key), options)
                        .AsIChatClient();
                })
                .UseFunctionInvocation(configure: c =>
                {
                    c.MaximumIterationsPerRequest = OpenAIAgent.MaxToolRounds;
                    c.IncludeDetailedErrors = false;
                });
        }

        services.AddSingleton(sp =>
        {
            var drivers = new List<IAgentDriver> { new OfflineAgent() };
            if (sp.GetService<IChatClient>() is { } chat)
            {
                drivers.Add(new OpenAIAgent(chat));
            }

            var fallback = drivers.Any(d => d.Name == "openai") ? "openai" : "offline";
            return new AgentDrivers(drivers, config["Agent:DefaultDriver"] ?? fallback);
        });
    }

    /// <summary>
    /// Embeddings: OpenAI (or any compatible server by base URL) when Embeddings:Provider is
    /// "openai" or an OpenAI key is configured; otherwise the offline hashing embedder.
    /// </summary>
    private static void AddRetrieval(IServiceCollection services, IConfiguration config)
    {
        FaissIndex.EnsureAvailable();
        var key = config["OpenAI:ApiKey"];
        var provider = config["Embeddings:Provider"] ?? (string.IsNullOrWhiteSpace(key) ? "offline" : "openai");
        services.AddSingleton(sp =>
        {
            if (provider == "openai")
            {
                var model = config["Embeddings:Model"] ?? "text-embedding-3-small";
                var options = new OpenAI.OpenAIClientOptions();
                if (config["OpenAI:BaseUrl"] is { Length: > 0 } baseUrl)
                {
                    options.Endpoint = new Uri(baseUrl);
                }

                // The OpenAI client retries 429 and 5xx with exponential back-off by itself.
                var generator = new OpenAI.Embeddings.EmbeddingClient(model, new System.ClientModel.ApiKeyCredential(key ?? "sin-clave"), options)
                    .AsIEmbeddingGenerator();
                return new ProductVectors(generator, sp.GetRequiredService<NpgsqlDataSource>(), $"openai:{model}");
            }

            var dimensions = config.GetValue("Embeddings:Dimensions", 384);
            return new ProductVectors(new HashingEmbeddingGenerator(dimensions), sp.GetRequiredService<NpgsqlDataSource>(),
                $"{HashingEmbeddingGenerator.ModelId}:{dimensions}");
        });
    }
}
