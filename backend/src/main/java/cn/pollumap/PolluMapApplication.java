package cn.pollumap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PolluMapApplication {

    public static void main(String[] args) {
        SpringApplication.run(PolluMapApplication.class, args);
    }
}
