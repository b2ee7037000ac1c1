package cn.pollumap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The server; with a first argument {@code import}, the command-line bulk loader instead (see README). */
@SpringBootApplication
@org.springframework.scheduling.annotation.EnableScheduling
@ConfigurationPropertiesScan
public class PolluMapApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("import")) {
            var context = new SpringApplicationBuilder(PolluMapApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties("pollumap.command=import", "pollumap.demo=false", "spring.main.log-startup-info=false",
                            "logging.level.root=WARN")
                    .run(args);
            System.exit(SpringApplication.exit(context));
        }
        SpringApplication.run(PolluMapApplication.class, args);
    }
}
