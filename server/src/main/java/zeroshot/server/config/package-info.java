/**
 * What the server is started with, as immutable records validated in their constructors: {@link
 * zeroshot.server.config.ServerConfig} (built with its builder), {@link
 * zeroshot.server.config.Limits}, {@link zeroshot.server.config.LabelSettings}, {@link
 * zeroshot.server.config.SecuritySettings}, and the per-model options ({@link
 * zeroshot.server.config.ModelOption}, {@link zeroshot.server.config.ModelSettings}) with their CPU
 * and GPU defaults. Loaded in one place, {@link zeroshot.server.config.ServerCommand}: a flag beats
 * the {@code ZEROSHOT_*} environment, which beats the {@code --config} file ({@code
 * ConfigDefaults}). Defaults are named constants.
 */
package zeroshot.server.config;
