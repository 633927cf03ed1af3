package dev.lifvision.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code lifvision}: one subcommand per task. */
@Command(name = "lifvision", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Spiking-network (LIF) vision node.",
        subcommands = {RunCommand.class, EvalCommand.class, InfoCommand.class, MakeVideoCommand.class, RandomModelCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new Main()), "lifvision");
    }

    /**
     * Expected failures (a bad file, option or value: IOException, IllegalArgumentException) end
     * with one line naming the problem and exit code 2; anything else with exit code 1. Set
     * LIFVISION_DEBUG to see stack traces. Shared by the trainer's command line.
     */
    public static CommandLine withErrorHandling(CommandLine cl, String tool) {
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(tool + " " + cmd.getCommandName() + ": " + ex.getMessage());
            if (System.getenv("LIFVISION_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return ex instanceof IllegalArgumentException || ex instanceof java.io.IOException ? 2 : 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"lifvision " + (v == null ? "dev" : v)};
        }
    }
}
